package dev.tributary.project;

/** A project that cannot be loaded or used as written; the message says where and what. */
public class ProjectException extends RuntimeException {
    public ProjectException(String message) {
        super(message);
    }
}
