using Vigil.Core;

namespace Vigil.Storage;

/// <summary>How both engines open a remediate credential sealed with the master key (bound to the credential's id).</summary>
internal static class RemediationSealing
{
    public static Secret Open(MasterKey key, string credentialId, string name, string scheme, string fingerprint, byte[] sealedSecret, string expectedScheme)
    {
        if (scheme != expectedScheme || fingerprint != key.Fingerprint)
        {
            throw new InvalidOperationException($"cannot decrypt the remediate credential {name}: the master key changed; re-run vigil connect cloudflare --purpose remediate");
        }

        return key.TryDecrypt(credentialId, sealedSecret) is { Length: > 0 } plaintext
            ? new Secret(plaintext)
            : throw new InvalidOperationException($"cannot decrypt the remediate credential {name}: it does not authenticate; re-run vigil connect cloudflare --purpose remediate");
    }
}
