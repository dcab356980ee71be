using Vigil.Core;

namespace Vigil.Storage;

/// <summary>How both engines seal an alert channel's URL and secrets: as connection credentials, bound to the channel id.</summary>
internal static class AlertSealing
{
    // Distinct from any connection id, so a connection's sealed credential copied onto a channel's row does not open.
    public static string AssociatedData(string channelId) => "alert-channel " + channelId;

    public static Secret Open(MasterKey key, string channelId, string scheme, string fingerprint, byte[] sealedSecret, string expectedScheme)
    {
        if (scheme != expectedScheme)
        {
            throw new InvalidOperationException($"alert channel {channelId} is sealed with an unknown scheme '{scheme}'; remove it and add it again");
        }

        if (fingerprint != key.Fingerprint)
        {
            throw new InvalidOperationException($"cannot decrypt alert channel {channelId}: the master key changed; remove it ('vigil alerts remove {channelId}') and add it again");
        }

        return key.TryDecrypt(AssociatedData(channelId), sealedSecret) is { Length: > 0 } plaintext
            ? new Secret(plaintext)
            : throw new InvalidOperationException($"cannot decrypt alert channel {channelId}: it does not authenticate (damaged or copied); remove it and add it again");
    }
}
