package dev.strata.graph.plan;

import java.util.Optional;

/**
 * Resolves an external base image to its manifest digest for the build platform. The graph module
 * never talks to a registry: the engine implements this against the local store and registries, and
 * the digest is pinned in strata.lock so later plans do not ask again.
 */
public interface BaseImageResolver {

  /** The digest ({@code sha256:…}) of {@code reference} (canonical form), or empty if unknown. */
  Optional<String> resolve(String reference);

  /** A resolver that knows nothing: unpinned bases are keyed by their name. */
  BaseImageResolver OFFLINE = reference -> Optional.empty();
}
