package dev.strata.catalog.sync;

import java.util.List;

/**
 * An image read from a registry: where it lives, its manifest digest, its total size (config and
 * layers), its config blob as JSON and its layers (digest and size) in order.
 */
public record RemoteImage(
    String repository, String digest, long size, String configJson, List<RemoteLayer> layers) {

  public RemoteImage {
    layers = List.copyOf(layers);
  }

  /** One layer of a manifest. */
  public record RemoteLayer(String digest, long size) {}
}
