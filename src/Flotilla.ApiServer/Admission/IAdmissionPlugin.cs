namespace Flotilla.ApiServer.Admission;

/// <summary>A named admission plugin; it mutates, validates, or both (by implementing the interfaces below).</summary>
public interface IAdmissionPlugin
{
    /// <summary>Upstream's plugin name (<c>NamespaceLifecycle</c>, <c>LimitRanger</c>, ...).</summary>
    string Name { get; }
}

/// <summary>Changes the object before the strategy validates it (defaults, injected volumes, priority).</summary>
public interface IMutatingAdmission : IAdmissionPlugin
{
    /// <summary>Changes <see cref="AdmissionRequest.Object"/> in place, or throws a StatusException to refuse it.</summary>
    ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken);
}

/// <summary>Accepts or refuses the final object, after the strategy validated it; never changes it.</summary>
public interface IValidatingAdmission : IAdmissionPlugin
{
    /// <summary>Returns to accept, throws a StatusException to refuse.</summary>
    ValueTask ValidateAsync(AdmissionRequest request, CancellationToken cancellationToken);
}
