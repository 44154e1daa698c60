package dev.tributary.sandbox.hubspot.data;

import java.util.List;

/** A HubSpot user who can own records. */
public record Owner(String id, String email, String firstName, String lastName, long userId, List<Team> teams,
                    long createdAt, long updatedAt, boolean archived) {
    public record Team(String id, String name, boolean primary) {}
}
