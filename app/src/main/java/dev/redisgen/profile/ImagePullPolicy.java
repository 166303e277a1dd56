package dev.redisgen.profile;

@Doc("When the kubelet pulls a container's image.")
public enum ImagePullPolicy {
    /** Every container start asks the registry (a re-pushed tag is seen; a registry outage stops starts). */
    @Spelled("Always") ALWAYS,
    /** Pull only when the node does not have the image. */
    @Spelled("IfNotPresent") IF_NOT_PRESENT,
    /** Never pull: the image must be on the node already. */
    @Spelled("Never") NEVER;

    /** The value of a container's {@code imagePullPolicy}. */
    public String kubernetesName() {
        return SchemaTypes.yamlName(this);
    }

    /**
     * What the API server defaults an unset policy to (pkg/apis/core/v1/defaults.go): {@code Always} for an image
     * without a tag or tagged {@code :latest}, {@code IfNotPresent} for any other tag or a digest.
     */
    public static ImagePullPolicy kubernetesDefault(String image) {
        if (image.contains("@")) {
            return IF_NOT_PRESENT;
        }
        int colon = image.lastIndexOf(':');
        boolean tagged = colon > image.lastIndexOf('/');
        return !tagged || image.substring(colon + 1).equals("latest") ? ALWAYS : IF_NOT_PRESENT;
    }
}
