using Vigil.Core.Inventory;

namespace Vigil.Core.Checks.Access;

/// <summary>Concrete fix instructions shared by the access checks.</summary>
internal static class Remedies
{
    public static string RemoveMember(EvaluationContext context, AccountMember member) => member.Status == MembershipStatus.Pending
        ? $"Revoke the pending invitation of {member.Label} in {context.DescribeAccount(member.AccountId)}: Cloudflare dashboard > Manage Account > Members > {member.Label} > Revoke invite; then run `vigil sync`."
        : $"Remove {member.Label} from {context.DescribeAccount(member.AccountId)}: Cloudflare dashboard > Manage Account > Members > {member.Label} > Remove; then run `vigil sync`.";

    public const string RegisterSystem =
        "Register Cloudflare as a critical system with the org roles allowed on it, e.g. `vigil systems add cloudflare --org-role engineer --org-role sre`, optionally limited with `vigil systems allow cloudflare --org-role engineer --cloudflare-role \"Administrator Read Only\"`.";
}
