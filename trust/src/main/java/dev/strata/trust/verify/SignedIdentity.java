package dev.strata.trust.verify;

import dev.strata.graph.ImageName;
import java.util.Optional;

/**
 * containers/image's default {@code signedIdentity} rule, {@code matchRepoDigestOrExact}: pulled by
 * tag, the signature must name exactly {@code repository:tag}; pulled by digest, it must name the
 * same repository (with some tag or digest). A signature naming only a repository is never
 * accepted, so what Strata accepts a bootc host accepts too.
 */
final class SignedIdentity {
  private SignedIdentity() {}

  /** Why {@code signed} does not match {@code intended}; empty when it does. */
  static Optional<String> mismatch(String signed, ImageName intended, boolean byDigest) {
    Optional<ImageName> parsed = ImageName.parse(signed);
    if (parsed.isEmpty()) {
      return Optional.of("signed identity '" + signed + "' is not an image reference");
    }
    String last = signed.substring(signed.lastIndexOf('/') + 1);
    if (!last.contains(":") && !last.contains("@")) {
      return Optional.of(
          "signed identity '" + signed + "' names only a repository (no tag), which hosts refuse");
    }
    ImageName name = parsed.get();
    if (!name.repository().equals(intended.repository())) {
      return Optional.of(
          "signed for '" + signed + "', not for " + intended.repository() + " (re-tagged image?)");
    }
    if (!byDigest) {
      String wanted = intended.repository() + ":" + intended.tag().orElse("latest");
      if (!name.digest().isEmpty()
          || !(name.repository() + ":" + name.tag().orElse("")).equals(wanted)) {
        return Optional.of(
            "signed for '" + signed + "', not for " + wanted + " (re-tagged image?)");
      }
    }
    return Optional.empty();
  }
}
