package dev.strata.bridge.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The secrets and ssh agents a build was given ({@code --secret id=ID,src=FILE|env=VAR}), by id.
 * Their bytes reach a RUN only through {@code --mount=type=secret}; cache keys see the ids alone.
 */
public final class BuildSecrets {
  /** No secrets, no agents. */
  public static final BuildSecrets NONE = new BuildSecrets(Map.of(), Map.of());

  private final Map<String, byte[]> secrets;
  private final Map<String, Path> agents;

  private BuildSecrets(Map<String, byte[]> secrets, Map<String, Path> agents) {
    this.secrets = Map.copyOf(secrets);
    this.agents = Map.copyOf(agents);
  }

  /** Secrets with the given values and agent sockets. */
  public static BuildSecrets of(Map<String, byte[]> secrets, Map<String, Path> agents) {
    return new BuildSecrets(secrets, agents);
  }

  /**
   * Reads {@code --secret} values as docker buildx takes them: {@code id=ID} with {@code src=FILE}
   * (or {@code source=}) or {@code env=VAR}; with neither, the environment variable {@code ID} if
   * set, else the file {@code ID}.
   *
   * @throws IllegalArgumentException for a malformed value, an unset variable or a missing file
   */
  public static BuildSecrets parse(Iterable<String> specs, Map<String, String> environment)
      throws IOException {
    Map<String, byte[]> values = new LinkedHashMap<>();
    for (String spec : specs) {
      Map<String, String> fields = new LinkedHashMap<>();
      for (String field : spec.split(",")) {
        int eq = field.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(
              "--secret " + spec + ": expected KEY=VALUE fields (id=ID,src=FILE or id=ID,env=VAR)");
        }
        String key = field.substring(0, eq).strip();
        if (!Set.of("id", "src", "source", "env", "type").contains(key)) {
          throw new IllegalArgumentException(
              "--secret " + spec + ": unknown field '" + key + "'; use id, src or env");
        }
        fields.put(key.equals("source") ? "src" : key, field.substring(eq + 1));
      }
      String id = fields.get("id");
      if (id == null || id.isEmpty()) {
        throw new IllegalArgumentException("--secret " + spec + ": needs id=ID");
      }
      String src = fields.get("src");
      String env = fields.get("env");
      if (src != null && env != null) {
        throw new IllegalArgumentException("--secret " + spec + ": give src= or env=, not both");
      }
      if (src == null && env == null) {
        if (environment.containsKey(id)) {
          env = id;
        } else {
          src = id;
        }
      }
      if (env != null) {
        String value = environment.get(env);
        if (value == null) {
          throw new IllegalArgumentException(
              "--secret id=" + id + ": environment variable " + env + " is not set");
        }
        values.put(id, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } else {
        Path file = Path.of(src);
        if (!Files.isRegularFile(file)) {
          throw new IllegalArgumentException(
              "--secret id=" + id + ": file " + file.toAbsolutePath() + " does not exist");
        }
        values.put(id, Files.readAllBytes(file));
      }
    }
    return new BuildSecrets(values, Map.of());
  }

  /** The bytes of secret {@code id}, if given. */
  public Optional<byte[]> secret(String id) {
    return Optional.ofNullable(secrets.get(id)).map(byte[]::clone);
  }

  /** The agent socket for ssh {@code id} ({@code default} unless named), if given. */
  public Optional<Path> sshSocket(String id) {
    return Optional.ofNullable(agents.get(id));
  }

  /** The ids of the secrets given. */
  public Set<String> ids() {
    return secrets.keySet();
  }

  @Override
  public String toString() {
    return "BuildSecrets" + secrets.keySet();
  }
}
