package dev.strata.catalog;

import java.util.Optional;

/**
 * The signature state of a build and, when signed, where the signature lives (e.g. the {@code
 * sha256-<hex>.sig} reference) and which key made it.
 */
public record Signature(SignatureState state, Optional<String> reference, Optional<String> key) {
  public static final Signature UNSIGNED =
      new Signature(SignatureState.UNSIGNED, Optional.empty(), Optional.empty());

  public Signature {
    if (state == null) {
      throw new IllegalArgumentException("a signature needs a state");
    }
  }
}
