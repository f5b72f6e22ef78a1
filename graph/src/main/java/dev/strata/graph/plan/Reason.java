package dev.strata.graph.plan;

import java.util.Optional;

/**
 * One reason for a rebuild: its kind, the 1-based step it concerns (0 for the whole node), the
 * subject (a file, an arg name, a node, an image reference, an instruction) and, where a value
 * moved, the value before and after.
 */
public record Reason(
    ReasonKind kind, int step, String subject, Optional<String> before, Optional<String> after) {

  /** The reason as one line a person reads. */
  public String describe() {
    String where = step > 0 ? "step " + step + ": " : "";
    return switch (kind) {
      case NEW_NODE -> "new node (no recorded build)";
      case INSTRUCTION_CHANGED -> where + "instruction changed: " + subject;
      case INPUT_FILE_CHANGED ->
          where
              + "input file "
              + (before.isEmpty() ? "added" : after.isEmpty() ? "removed" : "changed")
              + ": "
              + subject;
      case BUILD_ARG_CHANGED ->
          where
              + "build arg "
              + subject
              + " changed: "
              + before.orElse("<unset>")
              + " → "
              + after.orElse("<unset>");
      case PARENT_REBUILT ->
          after.isPresent()
              ? "parent's image changed: "
                  + subject
                  + " (config "
                  + before.orElse("<none>")
                  + " → "
                  + after.get()
                  + ")"
              : "parent rebuilt: " + subject + " (rebuild if its result changes)";
      case LAYER_COMPRESSION_CHANGED ->
          where
              + "layer compression changed: "
              + before.orElse("gzip")
              + " → "
              + after.orElse("gzip");
      case BASE_DIGEST_MOVED ->
          where
              + "base digest moved: "
              + subject
              + " "
              + before.orElse("<none>")
              + " → "
              + after.orElse("<none>");
    };
  }
}
