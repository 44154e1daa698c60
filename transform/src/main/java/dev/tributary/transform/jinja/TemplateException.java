package dev.tributary.transform.jinja;

/** A problem found while rendering a template, raised from a dbt function (unknown ref, missing var...). */
public class TemplateException extends RuntimeException {
    public TemplateException(String message) {
        super(message);
    }
}
