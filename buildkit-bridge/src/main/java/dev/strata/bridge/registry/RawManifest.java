package dev.strata.bridge.registry;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import dev.strata.bridge.oci.ContentBlob;
import java.nio.charset.StandardCharsets;

/**
 * A manifest or index jib pushes as the exact bytes Strata rendered: jib serializes templates with
 * Jackson, and a raw {@code @JsonValue} makes that serialization the bytes themselves.
 */
final class RawManifest implements ManifestTemplate {
  private final String json;
  private final String mediaType;

  RawManifest(ContentBlob manifest) {
    this.json = new String(manifest.bytes(), StandardCharsets.UTF_8);
    this.mediaType = manifest.mediaType();
    if (!java.util.Arrays.equals(json.getBytes(StandardCharsets.UTF_8), manifest.bytes())) {
      throw new IllegalArgumentException("manifest " + manifest.digest() + " is not UTF-8 text");
    }
  }

  @JsonValue
  @JsonRawValue
  String json() {
    return json;
  }

  @Override
  public int getSchemaVersion() {
    return 2;
  }

  @Override
  public String getManifestMediaType() {
    return mediaType;
  }
}
