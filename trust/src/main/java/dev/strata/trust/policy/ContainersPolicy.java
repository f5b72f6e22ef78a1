package dev.strata.trust.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.trust.key.VerificationKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The host configuration that makes podman, skopeo and {@code bootc switch|upgrade
 * --enforce-container-sigpolicy} require Strata's signatures: a {@code policy.json} with {@code
 * sigstoreSigned} for each scope ({@code signedIdentity: matchRepoDigestOrExact}, which Strata's
 * {@code repo:tag} identities satisfy) and a default of {@code reject} (bootc refuses {@code
 * insecureAcceptAnything}), and a {@code registries.d} file turning on sigstore attachments for the
 * same scopes.
 */
public final class ContainersPolicy {
  // registry[:port][/namespace...]; scopes are matched by containers/image textually.
  private static final Pattern SCOPE =
      Pattern.compile("[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<String> scopes;
  private final String keyPath;
  private final VerificationKey embeddedKey;

  private ContainersPolicy(List<String> scopes, String keyPath, VerificationKey embeddedKey) {
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("name at least one REGISTRY[/REPO] scope to protect");
    }
    for (String scope : scopes) {
      if (!SCOPE.matcher(scope).matches()) {
        throw new IllegalArgumentException(
            "'" + scope + "' is not a REGISTRY[:PORT][/REPO] scope (no tag, no digest, no scheme)");
      }
    }
    this.scopes = List.copyOf(scopes);
    this.keyPath = keyPath;
    this.embeddedKey = embeddedKey;
  }

  /** A policy naming the key by its path on the host ({@code keyPath}). */
  public static ContainersPolicy withKeyPath(List<String> scopes, String keyPath) {
    return new ContainersPolicy(scopes, keyPath, null);
  }

  /** A policy carrying the key itself ({@code keyData}), for hosts without the file. */
  public static ContainersPolicy withKeyData(List<String> scopes, VerificationKey key) {
    return new ContainersPolicy(scopes, null, key);
  }

  /** The scopes protected. */
  public List<String> scopes() {
    return scopes;
  }

  /** {@code /etc/containers/policy.json}. */
  public String policyJson() {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("default").addObject().put("type", "reject");
    ObjectNode transports = root.putObject("transports");
    ObjectNode docker = transports.putObject("docker");
    for (String scope : scopes) {
      ObjectNode requirement = docker.putArray(scope).addObject();
      requirement.put("type", "sigstoreSigned");
      if (keyPath != null) {
        requirement.put("keyPath", keyPath);
      } else {
        requirement.put(
            "keyData",
            Base64.getEncoder()
                .encodeToString(embeddedKey.pem().getBytes(StandardCharsets.US_ASCII)));
      }
      requirement.putObject("signedIdentity").put("type", "matchRepoDigestOrExact");
    }
    // Local stores hold images already admitted; bootc and podman read them for the booted image.
    ArrayNode local = transports.putObject("containers-storage").putArray("");
    local.addObject().put("type", "insecureAcceptAnything");
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always renders", e);
    }
  }

  /** {@code /etc/containers/registries.d/strata.yaml}. */
  public String registriesD() {
    StringBuilder yaml = new StringBuilder("docker:\n");
    for (String scope : scopes) {
      yaml.append("  ").append(scope).append(":\n    use-sigstore-attachments: true\n");
    }
    return yaml.toString();
  }
}
