package dev.redisgen.profile;

@Doc("A LimitRange of type Container.")
public record LimitRangeSpec(
        @Default("true") @Doc("Render the LimitRange object; false checks against a LimitRange that already exists.") boolean render,
        @Doc("Smallest request and limit a container may have.") Resources.Amounts min,
        @Doc("Largest request and limit a container may have.") Resources.Amounts max,
        @Doc("Largest limit/request ratio a container may have.") Ratio maxLimitRequestRatio) {

    @Doc("A limit/request ratio per resource.")
    public record Ratio(
            @Doc("Largest CPU limit divided by CPU request.") java.math.BigDecimal cpu,
            @Doc("Largest memory limit divided by memory request.") java.math.BigDecimal memory) {
    }
}
