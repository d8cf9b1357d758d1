using GitOps.Functions;
using GitOps.Hosting;
using GitOps.Hosting.Http;
using GitOps.Hosting.Options;
using GitOps.Hosting.Settings;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// The Functions host starts this process with its gRPC address on the command line and the app settings in the
// environment; the ASP.NET Core integration hands HTTP functions the original request, raw body included.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddGitOps(builder.Configuration);
builder.Services.AddSingleton<IValidateOptions<GitOpsOptions>, WorkerSettingsValidator>();

// The host checks the api and status functions' keys before it forwards a request; an API key, when set, is
// required on top, and App Service Authentication's principal names the caller when it is enabled.
builder.Services.AddSingleton(sp =>
{
    var settings = sp.GetRequiredService<GitOpsSettings>();
    return ApiAccess.FunctionsHost(settings.ApiKeys, settings.AppServiceAuthentication);
});
builder.Build().Run();
