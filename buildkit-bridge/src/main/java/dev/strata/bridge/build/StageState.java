package dev.strata.bridge.build;

import com.google.common.collect.ImmutableList;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.ImageConfig;
import dev.strata.bridge.rootfs.LayerStack;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage between two instructions: its image config so far, the manifest descriptors of its
 * layers, and the same layers extracted (bottom first).
 */
public record StageState(ImageConfig config, List<Descriptor> layers, LayerStack rootfs) {
  public StageState {
    layers = ImmutableList.copyOf(layers);
    if (layers.size() != rootfs.directories().size()) {
      throw new IllegalArgumentException("every layer needs its extracted directory");
    }
  }

  /** This state with a new config and one more layer. */
  StageState withLayer(ImageConfig newConfig, Descriptor layer, LayerStack newRootfs) {
    List<Descriptor> more = new ArrayList<>(layers);
    more.add(layer);
    return new StageState(newConfig, more, newRootfs);
  }

  /** This state with a new config and the same layers. */
  StageState withConfig(ImageConfig newConfig) {
    return new StageState(newConfig, layers, rootfs);
  }
}
