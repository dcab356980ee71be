using Vigil.Storage;

namespace Vigil.Web;

/// <summary>
/// The database the server was started with (bound to the default organisation). Only sign-in, API keys and /health
/// use it directly; a request works on the view of its user's organisation (the scoped IVigilStore).
/// </summary>
internal sealed record RootStore(IVigilStore Store);
