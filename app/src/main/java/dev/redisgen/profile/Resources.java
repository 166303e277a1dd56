package dev.redisgen.profile;

@Doc("Requests and limits of one container.")
public record Resources(
        @Required @Doc("What the scheduler reserves.") Amounts requests,
        @Required @Doc("The most the container may use; memory above it is OOM-killed.") Amounts limits) {

    @Doc("A CPU and a memory amount.")
    public record Amounts(
            @Doc("CPU quantity.") Cpu cpu,
            @Doc("Memory quantity.") Memory memory) {
    }
}
