using System.Text.Json.Nodes;
using Flotilla.ApiServer.Patch;

namespace Flotilla.ApiServer.Tests.Patch;

/// <summary>Cases from upstream's strategicpatch patch_test.go, applied to its MergeItem fixture.</summary>
public sealed class StrategicMergePatchTests
{
    public static TheoryData<string, string, string, string> UpstreamCases => new()
    {
        // customStrategicMergePatchTestCaseData.
        { "unique scalars when merging lists", """{"mergingIntList":[1,2]}""", """{"mergingIntList":[2,3]}""", """{"mergingIntList":[1,2,3]}""" },
        { "delete map from nested map", """{"simpleMap":{"key1":1,"key2":1}}""", """{"simpleMap":{"$patch":"delete"}}""", """{"simpleMap":{}}""" },
        { "delete all items from merging list", """{"mergingList":[{"name":1},{"name":2}]}""", """{"mergingList":[{"$patch":"replace"}]}""", """{"mergingList":[]}""" },
        { "merge empty merging lists", """{"mergingList":[]}""", """{"mergingList":[]}""", """{"mergingList":[]}""" },
        { "delete all keys from map", """{"name":1,"value":1}""", """{"$patch":"replace"}""", "{}" },
        { "add key and delete all keys from map", """{"name":1,"value":1}""", """{"other":"a","$patch":"replace"}""", """{"other":"a"}""" },
        {
            "delete all duplicate entries in a merging list",
            """{"mergingList":[{"name":1},{"name":1},{"name":2,"value":"a"},{"name":3},{"name":3}]}""",
            """{"mergingList":[{"name":1,"$patch":"delete"},{"name":1,"$patch":"delete"},{"name":3,"$patch":"delete"},{"name":3,"$patch":"delete"}]}""",
            """{"mergingList":[{"name":2,"value":"a"}]}"""
        },
        { "retainKeys map can add a field when no retainKeys directive present", """{"retainKeysMap":{"name":"foo"}}""", """{"retainKeysMap":{"value":"bar"}}""", """{"retainKeysMap":{"name":"foo","value":"bar"}}""" },
        { "retainKeys map can delete a field when no retainKeys directive present", """{"retainKeysMap":{"name":"foo","value":"a"}}""", """{"retainKeysMap":{"value":null}}""", """{"retainKeysMap":{"name":"foo"}}""" },
        {
            "retainKeys list can change a field when no retainKeys directive present",
            """{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]}""",
            """{"retainKeysMergingList":[{"name":"foo","value":"b"}]}""",
            """{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"b"}]}"""
        },
        {
            "preserve the order from the patch in a merging list",
            """{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]}""",
            """{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},{"name":2,"other":"x"}]}""",
            """{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},{"name":2,"value":"b","other":"x"}]}"""
        },
        {
            "preserve the order from the patch in a merging list 2",
            """{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]}""",
            """{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"}]}""",
            """{"mergingList":[{"name":2,"value":"b"},{"name":3,"value":"c"},{"name":1,"value":"a"}]}"""
        },
        { "preserve the order from the patch in a merging int list", """{"mergingIntList":[1,2,3]}""", """{"mergingIntList":[3,1,2]}""", """{"mergingIntList":[3,1,2]}""" },
        { "preserve the order from the patch in a merging int list 2", """{"mergingIntList":[1,2,3]}""", """{"mergingIntList":[3,1]}""", """{"mergingIntList":[2,3,1]}""" },

        // customStrategicMergePatchRawTestCases and strategicMergePatchRawTestCases.
        {
            "$setElementOrder contains item that is not present in the list to be merged",
            """{"mergingList":[{"name":1},{"name":3}]}""",
            """{"$setElementOrder/mergingList":[{"name":3},{"name":2},{"name":1}],"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}""",
            """{"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"""
        },
        { "$setElementOrder contains item that is not present in the int list", """{"mergingIntList":[1,3]}""", """{"$setElementOrder/mergingIntList":[3,2,1]}""", """{"mergingIntList":[3,1]}""" },
        {
            "delete items in lists of scalars",
            """{"mergingIntList":[1,2,3,4]}""",
            """{"$setElementOrder/mergingIntList":[1,2],"$deleteFromPrimitiveList/mergingIntList":[3]}""",
            """{"mergingIntList":[1,2,4]}"""
        },
        {
            "add and delete items in lists of scalars",
            """{"mergingIntList":[1,2,3,4]}""",
            """{"$setElementOrder/mergingIntList":[1,2,4],"$deleteFromPrimitiveList/mergingIntList":[3]}""",
            """{"mergingIntList":[1,2,4]}"""
        },
        {
            "merge lists of maps",
            """{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"}]}""",
            """{"$setElementOrder/mergingList":[{"name":4},{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":4,"value":4},{"name":3,"value":3}]}""",
            """{"mergingList":[{"name":4,"value":4},{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"},{"name":3,"value":3}]}"""
        },
        {
            "set elements order in a list with server-only items 2",
            """{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2},{"name":9},{"name":3,"value":3},{"name":4,"value":4}]}""",
            """{"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3}]}""",
            """{"mergingList":[{"name":2,"value":2},{"name":1,"other":"a"},{"name":9},{"name":4,"value":4},{"name":3,"value":3}]}"""
        },
        {
            "set elements order in a list with server-only items 3",
            """{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2},{"name":7},{"name":9},{"name":8},{"name":3,"value":3},{"name":4,"value":4}]}""",
            """{"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3}]}""",
            """{"mergingList":[{"name":2,"value":2},{"name":1,"other":"a"},{"name":7},{"name":9},{"name":8},{"name":4,"value":4},{"name":3,"value":3}]}"""
        },
        { "set elements order in a int list with server-only items 2", """{"mergingIntList":[1,2,9,3,4]}""", """{"$setElementOrder/mergingIntList":[2,1,4,3]}""", """{"mergingIntList":[2,1,9,4,3]}""" },
        { "add an item in a int list and preserve order", """{"mergingIntList":[1,2]}""", """{"$setElementOrder/mergingIntList":[3,1,2],"mergingIntList":[3]}""", """{"mergingIntList":[3,1,2]}""" },
        {
            "add and delete an item in a int list and preserve order",
            """{"mergingIntList":[1,3,2]}""",
            """{"$setElementOrder/mergingIntList":[4,2,1],"mergingIntList":[4],"$deleteFromPrimitiveList/mergingIntList":[3]}""",
            """{"mergingIntList":[4,2,1]}"""
        },
        {
            "behavior of set element order for a merging list with duplicate",
            """{"mergingList":[{"name":1},{"name":2,"value":"dup1"},{"name":3},{"name":2,"value":"dup2"},{"name":4}]}""",
            """{"$setElementOrder/mergingList":[{"name":2},{"name":1},{"name":4},{"name":3},{"name":2}]}""",
            """{"mergingList":[{"name":2,"value":"dup1"},{"name":2,"value":"dup2"},{"name":1},{"name":4},{"name":3}]}"""
        },
        { "behavior of set element order for a merging int list with duplicate", """{"mergingIntList":[1,2,3,2,4]}""", """{"$setElementOrder/mergingIntList":[2,1,4,3,2]}""", """{"mergingIntList":[2,2,1,4,3]}""" },
        { "retainKeys map should clear defaulted field", """{"retainKeysMap":{"value":"foo"}}""", """{"retainKeysMap":{"$retainKeys":["other"],"other":"bar"}}""", """{"retainKeysMap":{"other":"bar"}}""" },
        {
            "retainKeys map should clear defaulted field with conflict (discriminated union)",
            """{"retainKeysMap":{"name":"type1","value":"foo"}}""",
            """{"retainKeysMap":{"$retainKeys":["name","other"],"name":"type2","other":"bar"}}""",
            """{"retainKeysMap":{"name":"type2","other":"bar"}}"""
        },
        { "retainKeys map deletes a field and clears a field", """{"retainKeysMap":{"name":"foo","value":"bar","other":"a"}}""", """{"retainKeysMap":{"$retainKeys":["name"],"value":null}}""", """{"retainKeysMap":{"name":"foo"}}""" },
        {
            "retainKeys map adds a field in a nested map",
            """{"retainKeysMap":{"name":"foo","value":"bar","simpleMap":{"key1":"a","key3":"c"}}}""",
            """{"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],"simpleMap":{"key2":"b"}}}""",
            """{"retainKeysMap":{"name":"foo","value":"bar","simpleMap":{"key1":"a","key2":"b","key3":"c"}}}"""
        },

        // createStrategicMergePatchTestCaseData (three-way patches applied to current).
        { "add field and delete field from map", """{"name":1,"other":"a"}""", """{"name":null,"value":1}""", """{"value":1,"other":"a"}""" },
        { "delete field from nested map with conflict", """{"simpleMap":{"key1":"a","key2":1,"other":"a"}}""", """{"simpleMap":{"key1":1,"key2":null}}""", """{"simpleMap":{"key1":1,"other":"a"}}""" },
        { "replace list of scalars", """{"nonMergingIntList":[1,2]}""", """{"nonMergingIntList":[2,3]}""", """{"nonMergingIntList":[2,3]}""" },
        {
            "delete all maps from merging list with conflict",
            """{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b"}]}""",
            """{"mergingList":[{"name":1,"$patch":"delete"},{"name":2,"$patch":"delete"}]}""",
            """{"mergingList":[]}"""
        },
        { "delete all maps from empty merging list", """{"mergingList":[]}""", """{"mergingList":[{"name":1,"$patch":"delete"},{"name":2,"$patch":"delete"}]}""", """{"mergingList":[]}""" },
        { "defined null values should propagate overwrite current fields", """{"name":2}""", """{"name":1,"value":1,"other":null}""", """{"name":1,"value":1}""" },
    };

    public static TheoryData<string, string, string, string> NewSubtreeCases => new()
    {
        { "nested nulls in a new map are dropped", "{}", """{"simpleMap":{"a":"1","b":null}}""", """{"simpleMap":{"a":"1"}}""" },
        { "directive items in a new list are dropped", "{}", """{"mergingList":[{"name":1,"$patch":"delete"},{"name":2}]}""", """{"mergingList":[{"name":2}]}""" },
        { "a new map that is a directive is dropped", "{}", """{"simpleMap":{"$patch":"delete"}}""", "{}" },
        { "parallel lists in a new map are dropped", "{}", """{"retainKeysMap":{"$retainKeys":["name"],"$setElementOrder/mergingList":[{"name":1}],"mergingList":[{"name":1}],"name":"a"}}""", """{"retainKeysMap":{"mergingList":[{"name":1}],"name":"a"}}""" },
        { "a field changing kind takes the patch value", """{"simpleMap":{"a":"1"}}""", """{"simpleMap":["x"]}""", """{"simpleMap":["x"]}""" },
        { "a replace-strategy field is replaced whole", """{"replacingItem":{"a":1,"b":2}}""", """{"replacingItem":{"c":3}}""", """{"replacingItem":{"c":3}}""" },
        { "a list of maps without merge strategy is replaced", """{"nonMergingList":[{"name":1,"value":"a"}]}""", """{"nonMergingList":[{"name":2}]}""", """{"nonMergingList":[{"name":2}]}""" },
        { "a deletion list on a missing field is ignored", "{}", """{"$deleteFromPrimitiveList/mergingIntList":[1]}""", "{}" },
        { "new items in a merging list go before live-only items", """{"mergingList":[{"name":1},{"name":2}]}""", """{"mergingList":[{"name":3}]}""", """{"mergingList":[{"name":3},{"name":1},{"name":2}]}""" },
    };

    public static TheoryData<string, string, string, string> ErrorCases => new()
    {
        {
            "setElementOrder order differs from the patch list",
            """{"mergingList":[{"name":1},{"name":3},{"name":2}]}""",
            """{"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}""",
            "doesn't match $setElementOrder list"
        },
        { "setElementOrder order differs for ints", """{"mergingIntList":[1,3,2]}""", """{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3,1]}""", "doesn't match" },
        { "missing merge key", """{"mergingList":[{"name":1,"value":"a"}]}""", """{"mergingList":[{"value":"b"}]}""", "map: map[value:b] does not contain declared merge key: name" },
        { "retainKeys does not list a patched key", """{"retainKeysMap":{"name":"a"}}""", """{"retainKeysMap":{"$retainKeys":["name"],"value":"b"}}""", "invalid patch format of retainKeys" },
        { "merge directive in a list", """{"mergingList":[{"name":1}]}""", """{"mergingList":[{"$patch":"merge"}]}""", "merging lists cannot yet be specified in the patch" },
        { "unknown directive in a map", """{"simpleMap":{"a":"1"}}""", """{"simpleMap":{"$patch":"foo","a":"2"}}""", "unknown patch type: foo in map: map[$patch:foo a:2]" },
        { "lists of lists", """{"mergingIntList":[[1]]}""", """{"mergingIntList":[[2]]}""", "lists of lists are not supported" },
        { "mixed item kinds", """{"mergingIntList":[1]}""", """{"mergingIntList":["a"]}""", "list element types are not identical: [[1] [a]]" },
        { "setElementOrder that is not a list", """{"mergingList":[{"name":1}]}""", """{"$setElementOrder/mergingList":{"name":1}}""", "expected a slice, but received a map" },
    };

    [Theory]
    [MemberData(nameof(UpstreamCases))]
    public void Apply_UpstreamCase_GivesUpstreamResult(string description, string original, string patch, string expected)
    {
        Assert.NotEmpty(description);

        var result = Apply(original, patch);

        JsonAssert.Equal(expected, result);
    }

    [Theory]
    [MemberData(nameof(NewSubtreeCases))]
    public void Apply_NothingToMergeWith_TakesCleanedPatchValue(string description, string original, string patch, string expected)
    {
        Assert.NotEmpty(description);

        var result = Apply(original, patch);

        JsonAssert.Equal(expected, result);
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Apply_BadPatch_ThrowsWithUpstreamMessage(string description, string original, string patch, string message)
    {
        Assert.NotEmpty(description);

        var error = Assert.Throws<PatchException>(() => Apply(original, patch));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_Always_LeavesInputsUntouched()
    {
        var original = JsonNode.Parse("""{"mergingList":[{"name":1,"value":"a"}],"simpleMap":{"k":"v"}}""")!;
        var patch = JsonNode.Parse("""{"$setElementOrder/mergingList":[{"name":1}],"mergingList":[{"name":1,"value":"b"}],"simpleMap":{"k":null}}""")!;
        var originalText = original.ToJsonString();
        var patchText = patch.ToJsonString();

        StrategicMergePatch.Apply(original, patch, typeof(MergeItem), MergeItemTags.Table);

        Assert.Equal(originalText, original.ToJsonString());
        Assert.Equal(patchText, patch.ToJsonString());
    }

    [Fact]
    public void Apply_NodesBuiltInCode_MergeLikeParsedOnes()
    {
        var original = new JsonObject { ["mergingIntList"] = new JsonArray(1, 2), ["name"] = "a" };
        var patch = new JsonObject { ["mergingIntList"] = new JsonArray(2, 3), ["value"] = true };

        var result = StrategicMergePatch.Apply(original, patch, typeof(MergeItem), MergeItemTags.Table);

        JsonAssert.Equal("""{"mergingIntList":[1,2,3],"name":"a","value":true}""", result);
    }

    [Fact]
    public void Apply_PatchNotAnObject_ThrowsInvalidDocument()
    {
        var error = Assert.Throws<PatchException>(() => Apply("{}", "[]"));

        Assert.Equal("invalid JSON document", error.Message);
    }

    private static JsonNode Apply(string original, string patch) =>
        StrategicMergePatch.Apply(JsonNode.Parse(original)!, JsonNode.Parse(patch)!, typeof(MergeItem), MergeItemTags.Table);
}
