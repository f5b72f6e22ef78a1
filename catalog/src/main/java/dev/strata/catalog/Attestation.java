package dev.strata.catalog;

import java.util.Optional;

/**
 * An attestation attached to a build: its in-toto predicate type (SLSA provenance, SPDX, …) and
 * where the DSSE envelope lives.
 */
public record Attestation(
    String predicateType, Optional<String> digest, Optional<String> reference) {
  public Attestation {
    if (predicateType == null || predicateType.isBlank()) {
      throw new IllegalArgumentException("an attestation needs a predicate type");
    }
  }
}
