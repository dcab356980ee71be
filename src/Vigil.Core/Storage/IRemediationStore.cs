using Vigil.Core.Reviews;

namespace Vigil.Core.Storage;

/// <summary>Remediate credentials (member writes) and the calls made with them; an organisation's, like everything else.</summary>
public interface IRemediationStore
{
    /// <summary>Adds the credential, or replaces the one with the same name; the secret is encrypted before it is written.</summary>
    Task SaveRemediationCredentialAsync(RemediationCredential credential, Secret secret, CancellationToken ct);

    /// <summary>Every remediate credential, by name.</summary>
    Task<IReadOnlyList<RemediationCredential>> ListRemediationCredentialsAsync(CancellationToken ct);

    /// <exception cref="KeyNotFoundException">No such credential.</exception>
    /// <exception cref="InvalidOperationException">The secret cannot be decrypted (the master key changed, or the row was tampered with).</exception>
    Task<Secret> ReadRemediationSecretAsync(string credentialId, CancellationToken ct);

    /// <summary>Removes the credential with this name; false when there was none.</summary>
    Task<bool> RemoveRemediationCredentialAsync(string name, CancellationToken ct);

    /// <summary>Records one call and its answer (append-only).</summary>
    Task AddRemediationAttemptAsync(RemediationAttempt attempt, CancellationToken ct);

    /// <summary>Every call recorded for the campaign, in the order made.</summary>
    Task<IReadOnlyList<RemediationAttempt>> ListRemediationAttemptsAsync(string campaignId, CancellationToken ct);
}
