using Flotilla.Api.Selectors;
using Flotilla.Api.Tests.Validation;

namespace Flotilla.Api.Tests.Selectors;

public sealed class LabelRequirementTests
{
    // Upstream TestRequirementConstructor, with the messages upstream's NewRequirement returns.
    public static TheoryData<string, LabelOperator, string[]?, string?> Constructor => new()
    {
        { "x", LabelOperator.In, null, "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty" },
        { "x", LabelOperator.NotIn, [], "values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty" },
        { "x", LabelOperator.In, ["foo"], null },
        { "x", LabelOperator.NotIn, ["foo"], null },
        { "x", LabelOperator.Exists, null, null },
        { "x", LabelOperator.DoesNotExist, null, null },
        { "1foo", LabelOperator.In, ["bar"], null },
        { "1234", LabelOperator.In, ["bar"], null },
        { "y", LabelOperator.GreaterThan, ["1"], null },
        { "z", LabelOperator.LessThan, ["6"], null },
        { "foo", LabelOperator.GreaterThan, ["bar"], "values[0]: Invalid value: \"bar\": for 'Gt', 'Lt' operators, the value must be an integer" },
        { "barz", LabelOperator.LessThan, ["blah"], "values[0]: Invalid value: \"blah\": for 'Gt', 'Lt' operators, the value must be an integer" },
        { new string('a', 254), LabelOperator.Exists, null, $"key: Invalid value: \"{new string('a', 254)}\": name part must be no more than 63 characters" },
        { "good-key", LabelOperator.Equal, [new string('z', 64)], $"values[0][good-key]: Invalid value: \"{new string('z', 64)}\": {Messages.MaxLength63}" },
        { "x", LabelOperator.Exists, ["a"], "values: Invalid value: [\"a\"]: values set must be empty for exists and does not exist" },
        { "x", LabelOperator.Equal, ["a", "b"], "values: Invalid value: [\"a\",\"b\"]: exact-match compatibility requires one single value" },
        { "x", LabelOperator.GreaterThan, ["1", "2"], "values: Invalid value: [\"1\",\"2\"]: for 'Gt', 'Lt' operators, exactly one value is required" },
        {
            "a b", LabelOperator.In, ["ok", "not ok"],
            "[key: Invalid value: \"a b\": " + Messages.NamePart + ", values[1][a b]: Invalid value: \"not ok\": " + Messages.LabelValue + "]"
        },
    };

    [Theory]
    [MemberData(nameof(Constructor))]
    public void Create_UpstreamConstructorCases_UpstreamErrors(string key, LabelOperator op, string[]? values, string? error)
    {
        if (error is null)
        {
            var requirement = LabelRequirement.Create(key, op, values);
            Assert.Equal(key, requirement.Key);
            Assert.Equal(op, requirement.Operator);
        }
        else
        {
            Assert.Equal(error, Assert.Throws<LabelSelectorException>(() => LabelRequirement.Create(key, op, values)).Message);
        }
    }

    // Upstream TestToString: values print sorted, whatever order they were given in.
    [Theory]
    [InlineData("x", LabelOperator.In, new[] { "def", "abc" }, "x in (abc,def)")]
    [InlineData("y", LabelOperator.NotIn, new[] { "jkl" }, "y notin (jkl)")]
    [InlineData("z", LabelOperator.Exists, new string[0], "z")]
    [InlineData("z", LabelOperator.DoesNotExist, new string[0], "!z")]
    [InlineData("z", LabelOperator.NotIn, new[] { "" }, "z notin ()")]
    [InlineData("x", LabelOperator.Equal, new[] { "abc" }, "x=abc")]
    [InlineData("y", LabelOperator.DoubleEqual, new[] { "jkl" }, "y==jkl")]
    [InlineData("z", LabelOperator.NotEqual, new[] { "a" }, "z!=a")]
    [InlineData("x", LabelOperator.GreaterThan, new[] { "2" }, "x>2")]
    [InlineData("y", LabelOperator.LessThan, new[] { "8" }, "y<8")]
    public void ToString_EachOperator_UpstreamForm(string key, LabelOperator op, string[] values, string expected)
    {
        var requirement = LabelRequirement.Create(key, op, values);

        Assert.Equal(expected, requirement.ToString());
        Assert.Equal(values, requirement.Values);
    }
}
