package dev.strata.disk.lint;

/** How bad a lint finding is, as {@code bootc container lint} grades it. */
public enum Severity {
  /** The image cannot work as a bootc image; always fails the lint. */
  FATAL,
  /** Likely a mistake; fails the lint only when strict. */
  WARNING
}
