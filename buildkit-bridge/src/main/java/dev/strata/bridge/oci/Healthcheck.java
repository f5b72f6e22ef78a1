package dev.strata.bridge.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * A HEALTHCHECK as docker stores it in {@code config.Healthcheck}; durations are written in
 * nanoseconds and left out when null, {@code retries} when 0.
 */
public record Healthcheck(
    List<String> test,
    Duration interval,
    Duration timeout,
    Duration startPeriod,
    Duration startInterval,
    int retries) {
  public Healthcheck {
    test = List.copyOf(test);
    if (test.isEmpty()) {
      throw new IllegalArgumentException("a healthcheck needs a test, e.g. [\"NONE\"]");
    }
  }

  ObjectNode toJson() {
    ObjectNode node = CanonicalJson.MAPPER.createObjectNode();
    var array = node.putArray("Test");
    test.forEach(array::add);
    putNanos(node, "Interval", interval);
    putNanos(node, "Timeout", timeout);
    putNanos(node, "StartPeriod", startPeriod);
    putNanos(node, "StartInterval", startInterval);
    if (retries != 0) {
      node.put("Retries", retries);
    }
    return node;
  }

  private static void putNanos(ObjectNode node, String key, Duration d) {
    if (d != null) {
      node.put(key, d.toNanos());
    }
  }
}
