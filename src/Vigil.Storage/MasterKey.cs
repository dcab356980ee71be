using System.Security.Cryptography;
using System.Text;

namespace Vigil.Storage;

/// <summary>
/// The 256-bit key that encrypts stored credentials (AES-GCM). It comes from $VIGIL_MASTER_KEY (base64) when set,
/// else from the key file VIGIL_HOME/master.key, created owner-only on first use. It never prints itself.
/// </summary>
public sealed class MasterKey
{
    public const string EnvironmentVariable = "VIGIL_MASTER_KEY";
    public const string KeyFileName = "master.key";
    private const int KeyBytes = 32;

    private readonly byte[] _key;

    private MasterKey(byte[] key)
    {
        _key = key;
        // Identifies the key without revealing it, so a failed decryption can say "the key changed" with confidence.
        Fingerprint = Convert.ToHexStringLower(HMACSHA256.HashData(key, "vigil master key fingerprint"u8)[..8]);
    }

    internal string Fingerprint { get; }

    public static MasterKey Generate() => new(RandomNumberGenerator.GetBytes(KeyBytes));

    public static MasterKey FromBase64(string base64)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The master key is not valid base64; it must be {KeyBytes} random bytes in base64.");
        }

        return key.Length == KeyBytes
            ? new MasterKey(key)
            : throw new InvalidOperationException($"The master key has {key.Length} bytes; it must have {KeyBytes} (base64 of 32 random bytes).");
    }

    /// <summary>Reads $VIGIL_MASTER_KEY, else the key file in <paramref name="home"/>, creating the file if missing.</summary>
    public static MasterKey LoadOrCreate(string home) =>
        LoadOrCreate(home, Environment.GetEnvironmentVariable(EnvironmentVariable));

    internal static MasterKey LoadOrCreate(string home, string? fromEnvironment) => LoadOrCreate(home, fromEnvironment, () => 0);

    /// <param name="countSealedCredentials">
    /// How many stored credentials the database holds. When the key file is missing and this is above zero, no new key is
    /// made: the credentials were sealed with the missing key, and a new one would only turn every sync into
    /// "the master key changed".
    /// </param>
    internal static MasterKey LoadOrCreate(string home, string? fromEnvironment, Func<int> countSealedCredentials)
    {
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return FromBase64(fromEnvironment);
        }

        var path = Path.Combine(home, KeyFileName);
        if (!File.Exists(path))
        {
            var sealedCredentials = countSealedCredentials();
            if (sealedCredentials > 0)
            {
                throw new InvalidOperationException(
                    $"the key file {path} is missing, but the database holds {sealedCredentials} stored credential(s) sealed with it; " +
                    $"Vigil did not create a new key, which could not decrypt them. Restore {KeyFileName} from your backup into {home} " +
                    $"(owner-only: chmod 600), or set {EnvironmentVariable} to that key in base64. If the key is lost, remove the " +
                    "connections ('vigil connections remove NAME') and connect them again.");
            }

            TryCreateKeyFile(path);
        }

        try
        {
            return FromBase64(File.ReadAllText(path, Encoding.ASCII));
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"The key file {path} is damaged: {e.Message}", e);
        }
    }

    private static void TryCreateKeyFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes))));
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; use theirs.
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InvalidOperationException(
                $"cannot create the key file {path}: the Vigil home is read-only ({e.Message}). Commands that only read still work; " +
                $"to store a credential, make the folder writable or set {EnvironmentVariable}.", e);
        }
    }

    // Stored layout: nonce (12) | ciphertext | tag (16). The connection id is the associated data,
    // so a ciphertext copied onto another connection's row does not decrypt.
    internal byte[] Encrypt(string connectionId, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBox = new byte[AesGcm.NonceByteSizes.MaxSize + plain.Length + AesGcm.TagByteSizes.MaxSize];
        var nonce = sealedBox.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var cipher = sealedBox.AsSpan(nonce.Length, plain.Length);
        var tag = sealedBox.AsSpan(nonce.Length + plain.Length);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_key, tag.Length))
        {
            aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(connectionId));
        }

        CryptographicOperations.ZeroMemory(plain);
        return sealedBox;
    }

    /// <returns>The plaintext, or null when the box does not authenticate under this key and connection id.</returns>
    internal string? TryDecrypt(string connectionId, byte[] sealedBox)
    {
        const int nonceSize = 12, tagSize = 16;
        if (sealedBox.Length < nonceSize + tagSize)
        {
            return null;
        }

        var plain = new byte[sealedBox.Length - nonceSize - tagSize];
        try
        {
            using var aes = new AesGcm(_key, tagSize);
            aes.Decrypt(
                sealedBox.AsSpan(0, nonceSize),
                sealedBox.AsSpan(nonceSize, plain.Length),
                sealedBox.AsSpan(nonceSize + plain.Length),
                plain,
                Encoding.UTF8.GetBytes(connectionId));
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public override string ToString() => "[redacted]";
}
