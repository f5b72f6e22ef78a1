package dev.strata.trust.attachment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A cosign attachment manifest ({@code .sig} or {@code .att}): an OCI image manifest whose layers
 * are the signatures or envelopes, and whose config lists them as cosign writes it. New layers are
 * appended to the existing ones, never replacing another signer's; an identical layer is not added
 * twice (cosign deduplicates the same way).
 */
public final class AttachmentManifest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final List<Descriptor> layers;

  private AttachmentManifest(List<Descriptor> layers) {
    this.layers = List.copyOf(layers);
  }

  /** No attachments yet (the tag does not exist). */
  public static AttachmentManifest empty() {
    return new AttachmentManifest(List.of());
  }

  /** The attachments of an existing manifest, from its exact bytes. */
  public static AttachmentManifest parse(byte[] manifest) {
    return new AttachmentManifest(ImageManifest.parse(manifest).layers());
  }

  /** The layers, oldest first. */
  public List<Descriptor> layers() {
    return layers;
  }

  /** Whether {@code layer} (same digest, media type and annotations) is already attached. */
  public boolean contains(Descriptor layer) {
    return layers.stream()
        .anyMatch(
            l ->
                l.digest().equals(layer.digest())
                    && l.mediaType().equals(layer.mediaType())
                    && l.annotations().equals(layer.annotations()));
  }

  /** This manifest with {@code layer} appended, or this one if it is already there. */
  public AttachmentManifest with(Descriptor layer) {
    if (contains(layer)) {
      return this;
    }
    List<Descriptor> more = new ArrayList<>(layers);
    more.add(layer);
    return new AttachmentManifest(more);
  }

  /**
   * The config blob cosign writes: one zero-time history entry and one diff_id per layer (neither
   * verifier reads it, but registries and tools expect a valid image config).
   */
  public ContentBlob config() {
    ObjectNode root = JSON.createObjectNode();
    root.put("architecture", "");
    root.put("created", ZERO_TIME);
    ArrayNode history = root.putArray("history");
    layers.forEach(l -> history.addObject().put("created", ZERO_TIME));
    root.put("os", "");
    ObjectNode rootfs = root.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode diffIds = rootfs.putArray("diff_ids");
    layers.forEach(l -> diffIds.add(l.digest().toString()));
    root.putObject("config");
    try {
      return ContentBlob.of(MediaTypes.IMAGE_CONFIG, JSON.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always renders", e);
    }
  }

  /** The manifest bytes to PUT at the attachment tag, as an OCI image manifest. */
  public ContentBlob manifest() {
    return new ImageManifest(config().descriptor(), layers, Map.of()).render();
  }
}
