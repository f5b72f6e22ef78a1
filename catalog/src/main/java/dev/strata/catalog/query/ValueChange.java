package dev.strata.catalog.query;

import java.util.Optional;

/** A label or image config field that differs between two builds. */
public record ValueChange(String key, Optional<String> before, Optional<String> after) {}
