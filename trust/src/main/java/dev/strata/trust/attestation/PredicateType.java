package dev.strata.trust.attestation;

/** The in-toto predicate types Strata attaches, with cosign's {@code --type} short names. */
public enum PredicateType {
  /** SPDX 2.3 JSON SBOM ({@code cosign verify-attestation --type spdxjson}). */
  SPDX("https://spdx.dev/Document", "spdxjson"),
  /** SLSA provenance v1 ({@code --type slsaprovenance1}). */
  SLSA_PROVENANCE_V1("https://slsa.dev/provenance/v1", "slsaprovenance1");

  private final String uri;
  private final String cosignName;

  PredicateType(String uri, String cosignName) {
    this.uri = uri;
    this.cosignName = cosignName;
  }

  /** The {@code predicateType} URI. */
  public String uri() {
    return uri;
  }

  /** cosign's short name for {@code --type}. */
  public String cosignName() {
    return cosignName;
  }
}
