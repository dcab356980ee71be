using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.App;
using Vigil.App.Administration;
using Vigil.Cloudflare.Preflight;
using Vigil.Core.Sync;
using Vigil.Storage;
using Vigil.Web.Security;

namespace Vigil.Web.Pages;

/// <summary>
/// Connections (the credential is never shown), a preflight per permission on demand (as <c>vigil connections test</c>
/// shows it), the sync schedule and every setting with its threshold; admins change settings here.
/// </summary>
internal sealed class ConnectionsModel(IVigilStore store, RootStore root, TimeProvider time, IAuthorizationService authorization) : PageModel
{
    public IReadOnlyList<Connection> Connections { get; private set; } = [];
    public IReadOnlyList<SettingView> Settings { get; private set; } = [];
    public string? Problem { get; private set; }
    public bool IsAdmin { get; private set; }
    public (Connection Connection, PreflightReport Report)? Tested { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Key { get; set; }
    [BindProperty] public string? Value { get; set; }

    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostTestAsync(CancellationToken ct)
    {
        if (!await AdminAsync())
        {
            return Forbid();
        }

        await using var services = VigilServices.Create(root.Store.ForOrganisation(User.Organisation()), time: time);
        Tested = await ConnectionOperations.TestAsync(services, Name ?? "", ct);
        if (Tested is null)
        {
            Problem = $"there is no connection '{Name}'";
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSettingAsync(CancellationToken ct)
    {
        if (!await AdminAsync())
        {
            return Forbid();
        }

        try
        {
            var saved = await SettingsOperations.SetAsync(store, Key ?? "", Value ?? "", ct);
            Message = $"{saved.Key} = {saved.Value}";
            return RedirectToPage();
        }
        catch (OperationException e)
        {
            Problem = e.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            await LoadAsync(ct);
            return Page();
        }
    }

    public static string Outcome(ProbeOutcome outcome) => outcome switch
    {
        ProbeOutcome.Works => "works",
        ProbeOutcome.MissingPermission => "missing permission",
        ProbeOutcome.NotTested => "not tested",
        _ => "failed",
    };

    public static string PurposeName(ConnectionPurpose purpose) => purpose switch
    {
        ConnectionPurpose.Access => "access review",
        ConnectionPurpose.Infra => "infrastructure monitoring",
        _ => "access review and infrastructure monitoring",
    };

    private async Task<bool> AdminAsync() => (await authorization.AuthorizeAsync(User, VigilPolicies.Admin)).Succeeded;

    private async Task LoadAsync(CancellationToken ct)
    {
        IsAdmin = await AdminAsync();
        Connections = await store.ListAsync(ct);
        Settings = await SettingsOperations.ListAsync(store, ct);
    }
}
