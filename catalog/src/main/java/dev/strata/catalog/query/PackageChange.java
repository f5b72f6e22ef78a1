package dev.strata.catalog.query;

import java.util.Optional;

/** One package that differs between two builds: its version before and after (if any). */
public record PackageChange(
    String name, String arch, Optional<String> before, Optional<String> after) {}
