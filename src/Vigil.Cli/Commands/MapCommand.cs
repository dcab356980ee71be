using System.CommandLine;
using Vigil.App.Administration;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil map MEMBER_EMAIL --person P | --service-account "WHY" | --clear</c>: decide by hand who a Cloudflare member is.</summary>
internal static class MapCommand
{
    public static Command Build()
    {
        var member = new Argument<string>("MEMBER_EMAIL") { Description = "The Cloudflare member's email" };
        var person = new Option<string?>("--person") { Description = "Map to this person's email in the staff directory" };
        var service = new Option<string?>("--service-account") { Description = "Mark as a non-human or external account, with the justification" };
        var clear = new Option<bool>("--clear") { Description = "Remove the manual mapping (matching by email applies again)" };

        var command = new Command("map", "Map a Cloudflare member to a person, or mark it a service account") { member, person, service, clear };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(member)!, parse.GetValue(person), parse.GetValue(service), parse.GetValue(clear), ct));
        return command;
    }

    internal static async Task<int> RunAsync(string memberEmail, string? personEmail, string? justification, bool clear, CancellationToken ct)
    {
        var chosen = (personEmail is not null ? 1 : 0) + (justification is not null ? 1 : 0) + (clear ? 1 : 0);
        if (chosen != 1)
        {
            throw new UsageException("map takes exactly one of --person EMAIL, --service-account \"JUSTIFICATION\" or --clear");
        }
        memberEmail = memberEmail.Trim();
        await using var store = await CliStore.OpenAsync(ct);
        if (clear)
        {
            var removed = await DirectoryOperations.ClearMappingAsync(store, memberEmail, ct);
            Console.WriteLine(removed ? $"Cleared the mapping of {memberEmail}." : $"{memberEmail} had no manual mapping.");
            return ExitCodes.Ok;
        }

        if (justification is not null)
        {
            var service = await DirectoryOperations.MarkServiceAccountAsync(store, memberEmail, justification, TimeProvider.System, ct);
            Console.WriteLine($"Marked {memberEmail} as a service account: {service.ServiceAccountJustification}");
            return ExitCodes.Ok;
        }

        var (_, person) = await DirectoryOperations.MapToDirectoryPersonAsync(store, memberEmail, personEmail!, TimeProvider.System, ct);
        Console.WriteLine($"Mapped {memberEmail} to {person.Name} <{person.Email}>.");
        return ExitCodes.Ok;
    }
}
