package dev.strata.catalog.query;

import dev.strata.catalog.StoredBuild;

/** A build a search found and what matched in it (a package with its version, a label, a base). */
public record SearchHit(StoredBuild build, String matched) {}
