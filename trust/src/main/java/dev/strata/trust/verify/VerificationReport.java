package dev.strata.trust.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of {@code strata verify}: the image asked for first, then each parent its provenance
 * names, up the lineage. It passes only when every image in the chain does.
 */
public record VerificationReport(List<ImageCheck> chain) {
  public VerificationReport {
    chain = List.copyOf(chain);
  }

  /** Whether every image in the chain verified. */
  public boolean ok() {
    return !chain.isEmpty() && chain.stream().allMatch(ImageCheck::ok);
  }

  /** The report for a terminal. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < chain.size(); i++) {
      ImageCheck image = chain.get(i);
      String indent = "  ".repeat(i);
      out.append(indent)
          .append(i == 0 ? "" : "parent ")
          .append(image.reference())
          .append(image.digest().map(d -> "@" + d).orElse(""))
          .append('\n');
      image.passed().forEach(p -> out.append(indent).append("  ok   ").append(p).append('\n'));
      image.problems().forEach(p -> out.append(indent).append("  FAIL ").append(p).append('\n'));
    }
    String names =
        chain.stream().map(c -> shortName(c.reference())).collect(Collectors.joining(" -> "));
    long failed = chain.stream().filter(c -> !c.ok()).count();
    out.append(
        ok()
            ? "verified: "
                + chain.size()
                + (chain.size() == 1 ? " image" : " images")
                + " ("
                + names
                + ")\n"
            : "verification FAILED: "
                + failed
                + " of "
                + chain.size()
                + " images ("
                + names
                + ")\n");
    return out.toString();
  }

  /** The report as JSON ({@code --json}). */
  public ObjectNode json() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("verified", ok());
    ArrayNode images = root.putArray("chain");
    for (ImageCheck c : chain) {
      ObjectNode node = images.addObject();
      node.put("reference", c.reference());
      c.digest().ifPresent(d -> node.put("digest", d.toString()));
      node.put("verified", c.ok());
      c.passed().forEach(node.withArray("passed")::add);
      c.problems().forEach(node.withArray("problems")::add);
      c.packageCount().ifPresent(n -> node.put("packages", n));
      c.parent().ifPresent(p -> node.put("parent", p.toString()));
      c.base().ifPresent(b -> node.put("base", b.toString()));
    }
    return root;
  }

  private static String shortName(String reference) {
    String name = reference.substring(reference.lastIndexOf('/') + 1);
    int colon = name.indexOf(':');
    return colon < 0 ? name : name.substring(0, colon);
  }
}
