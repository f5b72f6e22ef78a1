package dev.strata.graph.plan;

/** Why a node must be rebuilt. */
public enum ReasonKind {
  /** The node was never built. */
  NEW_NODE,
  /** An instruction's canonical text changed (or steps were added or removed). */
  INSTRUCTION_CHANGED,
  /** A context file a COPY/ADD or bind mount selects was added, removed or changed. */
  INPUT_FILE_CHANGED,
  /** A build arg an ARG declares has another value. */
  BUILD_ARG_CHANGED,
  /** The parent node (or a node read by COPY --from) is to be rebuilt. */
  PARENT_REBUILT,
  /** The pinned digest of an external base (or COPY --from image) moved. */
  BASE_DIGEST_MOVED,
  /** The project's layer compression changed (strata.yaml compression: or --compression). */
  LAYER_COMPRESSION_CHANGED
}
