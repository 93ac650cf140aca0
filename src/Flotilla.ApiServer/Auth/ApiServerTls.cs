using System.Security.Cryptography.X509Certificates;

namespace Flotilla.ApiServer.Auth;

/// <summary>HTTPS for the API server: its serving certificate and the CA whose client certificates it accepts.</summary>
public sealed record ApiServerTls(X509Certificate2 ServerCertificate, X509Certificate2 ClientCa);
