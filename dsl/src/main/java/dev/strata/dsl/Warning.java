package dev.strata.dsl;

/**
 * A problem that does not stop the build, named after BuildKit's lint rule (e.g. {@code
 * NoEmptyContinuation}, {@code MaintainerDeprecated}), with the message BuildKit prints.
 */
public record Warning(String rule, String message, SourcePosition position) {

  /** {@code FILE:LINE:COL: warning: message [Rule]}, as written to stderr. */
  public String render() {
    return position + ": warning: " + message + " [" + rule + "]";
  }
}
