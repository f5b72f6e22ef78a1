package dev.strata.bridge.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where registry credentials are looked up, in the order podman and docker use: {@code
 * $REGISTRY_AUTH_FILE} (or else podman's {@code $XDG_RUNTIME_DIR/containers/auth.json} and {@code
 * $XDG_CONFIG_HOME/containers/auth.json}), then docker's {@code $DOCKER_CONFIG/config.json} (or
 * {@code ~/.docker/config.json}). In each file jib reads {@code credHelpers}, then {@code
 * credsStore}, then {@code auths}; the first file that has credentials for a registry wins.
 */
public final class CredentialFiles {
  private final List<Path> files;
  private final Map<String, String> environment;

  private CredentialFiles(List<Path> files, Map<String, String> environment) {
    this.files = List.copyOf(files);
    this.environment = Map.copyOf(environment);
  }

  /** The search order for this environment (usually {@link System#getenv()}). */
  public static CredentialFiles fromEnvironment(Map<String, String> env) {
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    List<Path> files = new ArrayList<>();
    String authFile = env.get("REGISTRY_AUTH_FILE");
    if (authFile != null && !authFile.isBlank()) {
      files.add(Path.of(authFile));
    } else {
      String runtime = env.get("XDG_RUNTIME_DIR");
      if (runtime != null && !runtime.isBlank()) {
        files.add(Path.of(runtime, "containers", "auth.json"));
      }
      String config = env.get("XDG_CONFIG_HOME");
      files.add(
          (config != null && !config.isBlank() ? Path.of(config) : Path.of(home, ".config"))
              .resolve("containers/auth.json"));
    }
    String dockerConfig = env.get("DOCKER_CONFIG");
    files.add(
        (dockerConfig != null && !dockerConfig.isBlank()
                ? Path.of(dockerConfig)
                : Path.of(home, ".docker"))
            .resolve("config.json"));
    return new CredentialFiles(files, env);
  }

  /** Exactly these files, in this order (tests, and callers with their own policy). */
  public static CredentialFiles of(List<Path> files) {
    return new CredentialFiles(files, Map.of());
  }

  /** The files searched, in order (existing or not). */
  public List<Path> searchOrder() {
    return files;
  }

  /**
   * The credentials for {@code host} (e.g. {@code localhost:5000}, {@code docker.io}), from the
   * first file that has some; empty for anonymous access.
   */
  public Optional<RegistryCredential> lookup(String host) throws RegistryAccessException {
    ImageReference reference = ImageReference.of(host, "strata/credential-lookup", null);
    Consumer<LogEvent> quiet = event -> {};
    CredentialRetrieverFactory factory =
        CredentialRetrieverFactory.forImage(reference, quiet, environment);
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      CredentialRetriever retriever = factory.dockerConfig(file);
      Optional<Credential> found;
      try {
        found = retriever.retrieve();
      } catch (Exception e) {
        throw new RegistryAccessException(
            RegistryAccessException.Kind.UNAUTHORIZED,
            "cannot read credentials for "
                + host
                + " from "
                + file
                + ": "
                + e.getMessage()
                + " (fix the file or log in again with 'podman login "
                + host
                + "')",
            null);
      }
      if (found.isPresent()) {
        return Optional.of(
            new RegistryCredential(
                found.get().getUsername(), found.get().getPassword(), file.toString()));
      }
    }
    return Optional.empty();
  }
}
