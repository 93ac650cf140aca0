using Flotilla.Cli;

return await FlotillaCommand.RunAsync(args);
