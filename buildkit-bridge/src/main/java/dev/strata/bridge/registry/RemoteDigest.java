package dev.strata.bridge.registry;

import dev.strata.bridge.oci.Digest;
import dev.strata.graph.ImageName;
import java.util.Optional;

/**
 * What an image reference names on its registry right now, for one platform.
 *
 * @param reference what was asked for
 * @param source where it was found (a mirror, or {@code reference} itself)
 * @param manifest the platform's image manifest digest: what a build of that platform uses, and
 *     what strata.lock pins
 * @param index the multi-platform index the tag names, when it names one
 */
public record RemoteDigest(
    ImageName reference, ImageName source, Digest manifest, Optional<Digest> index) {}
