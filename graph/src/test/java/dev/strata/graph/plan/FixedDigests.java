package dev.strata.graph.plan;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A test {@link BaseImageResolver} answering from a map, as a registry would. */
final class FixedDigests implements BaseImageResolver {
  final Map<String, String> digests = new HashMap<>();
  int calls;

  @Override
  public Optional<String> resolve(String reference) {
    calls++;
    return Optional.ofNullable(digests.get(reference));
  }
}
