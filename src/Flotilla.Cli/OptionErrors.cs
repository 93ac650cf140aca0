using System.CommandLine.Parsing;

namespace Flotilla.Cli;

/// <summary>How an option's parser refuses a value: the error goes to the command line's result (exit 2).</summary>
public static class OptionErrors
{
    public static T Fail<T>(ArgumentResult result, string error)
    {
        ArgumentNullException.ThrowIfNull(result);
        result.AddError(error);
        return default!;
    }
}
