using System.CommandLine;
using System.Net.Mail;
using Vigil.Core.People;

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
        if (!MailAddress.TryCreate(memberEmail, out _))
        {
            throw new UsageException($"'{memberEmail}' is not an email address");
        }

        await using var store = await CliStore.OpenAsync(ct);
        if (clear)
        {
            var removed = await store.RemoveMappingAsync(memberEmail, ct);
            Console.WriteLine(removed ? $"Cleared the mapping of {memberEmail}." : $"{memberEmail} had no manual mapping.");
            return ExitCodes.Ok;
        }

        if (justification is not null)
        {
            if (string.IsNullOrWhiteSpace(justification))
            {
                throw new UsageException("--service-account needs a justification, e.g. --service-account \"CI deploy bot owned by the platform team\"");
            }
            await store.SaveMappingAsync(new IdentityMapping(memberEmail, null, justification.Trim(), TimeProvider.System.GetUtcNow()), ct);
            Console.WriteLine($"Marked {memberEmail} as a service account: {justification.Trim()}");
            return ExitCodes.Ok;
        }

        var directory = new StaffDirectory(await store.ListPeopleAsync(ct));
        var target = directory.Find(personEmail!.Trim())
            ?? throw new CliException($"no person with email {personEmail} in the staff directory; import it first with 'vigil staff import FILE'");
        await store.SaveMappingAsync(new IdentityMapping(memberEmail, target.Email, null, TimeProvider.System.GetUtcNow()), ct);
        Console.WriteLine($"Mapped {memberEmail} to {target.Name} <{target.Email}>.");
        return ExitCodes.Ok;
    }
}
