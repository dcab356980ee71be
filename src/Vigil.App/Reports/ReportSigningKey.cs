using System.Security.Cryptography;
using System.Text;

namespace Vigil.App.Reports;

/// <summary>
/// The ECDSA P-256 key that signs report manifests. Created on first use in the Vigil home as a PKCS#8 PEM file readable
/// by its owner only (mode 0600); the private key is never printed or logged, only the public key
/// (<see cref="PublicKeyPem"/>, what <c>vigil report key</c> prints) leaves the file.
/// </summary>
public sealed class ReportSigningKey : IDisposable
{
    public const string FileName = "report-signing-key.pem";
    public const string Algorithm = "ECDSA-P256-SHA256";

    private readonly ECDsa _key;

    private ReportSigningKey(ECDsa key, string path)
    {
        _key = key;
        Path = path;
        PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        KeyId = IdOf(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The key file.</summary>
    public string Path { get; }

    /// <summary>The public key, PEM ("-----BEGIN PUBLIC KEY-----").</summary>
    public string PublicKeyPem { get; }

    /// <summary>SHA-256 of the public key's DER encoding (SubjectPublicKeyInfo), lower-case hex: how manifests name the key.</summary>
    public string KeyId { get; }

    /// <summary>The key in <paramref name="home"/>, created (owner-only) when there is none yet.</summary>
    public static ReportSigningKey LoadOrCreate(string home)
    {
        ArgumentNullException.ThrowIfNull(home);
        var path = System.IO.Path.Combine(home, FileName);
        if (File.Exists(path))
        {
            return Load(path);
        }

        Directory.CreateDirectory(home);
        using (var created = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var pem = created.ExportPkcs8PrivateKeyPem();
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            try
            {
                using (var file = new FileStream(temporary, options))
                {
                    file.Write(Encoding.ASCII.GetBytes(pem));
                    file.Flush(flushToDisk: true);
                }
                // Another process may have created the key meanwhile: theirs wins and this one is dropped.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        return Load(path);
    }

    /// <summary>The key in <paramref name="home"/>; null when none was created yet.</summary>
    public static ReportSigningKey? Find(string home) =>
        File.Exists(System.IO.Path.Combine(home, FileName)) ? Load(System.IO.Path.Combine(home, FileName)) : null;

    private static ReportSigningKey Load(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256)
            {
                throw new OperationException($"the report signing key {path} is not an ECDSA P-256 key");
            }
            return new ReportSigningKey(key, path);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            // Never echo the file's content: it is a private key.
            throw new OperationException($"the report signing key {path} cannot be read as an ECDSA private key (PEM); restore it from a backup, or move it away to create a new one (reports signed by it then verify only with its public key)");
        }
    }

    /// <summary>Signs <paramref name="data"/> (SHA-256, IEEE P1363 signature: r and s, 64 bytes).</summary>
    public byte[] Sign(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256);

    /// <summary>Checks a signature made by <see cref="Sign"/> with a public key in PEM.</summary>
    public static bool Verify(string publicKeyPem, byte[] data, byte[] signature)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(publicKeyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }
        return key.KeySize == 256 && key.VerifyData(data, signature, HashAlgorithmName.SHA256);
    }

    /// <summary>The key id of a public key in PEM; null when it is not one.</summary>
    public static string? IdOf(string publicKeyPem)
    {
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(publicKeyPem);
            return IdOf(key.ExportSubjectPublicKeyInfo());
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static string IdOf(byte[] subjectPublicKeyInfo) => Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));

    public void Dispose() => _key.Dispose();
}
