package dev.tributary.transform.jinja;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dbt's {@code adapter.dispatch(name, macro_namespace)}: tries {@code <adapter>__name} then {@code default__name} in
 * each package of the search order. The order is the root project's {@code dispatch:} config for the namespace when
 * it has one, else the root project then the namespace; without a namespace, every macro visible globally.
 */
final class MacroDispatcher {
    /** Each package's macros by name (the root project, the installed packages and dbt's own "dbt"). */
    private final Map<String, Map<String, MacroFunction>> byPackage = new LinkedHashMap<>();
    private Map<String, List<String>> searchOrders = Map.of();
    private String rootProject;
    private final List<String> prefixes;
    private final Context root;

    MacroDispatcher(String adapterType, Context root) {
        this.prefixes = List.of(adapterType, "default");
        this.root = root;
    }

    void setRootProject(String name) {
        this.rootProject = name;
    }

    void setSearchOrders(Map<String, List<String>> orders) {
        this.searchOrders = Map.copyOf(orders);
    }

    void add(String packageName, MacroFunction macro) {
        byPackage.computeIfAbsent(packageName, k -> new LinkedHashMap<>()).put(macro.getName(), macro);
    }

    MacroFunction macro(String packageName, String name) {
        Map<String, MacroFunction> m = byPackage.get(packageName);
        return m == null ? null : m.get(name);
    }

    boolean hasPackage(String packageName) {
        return byPackage.containsKey(packageName);
    }

    MacroFunction dispatch(String name, String namespace) {
        List<String> packages = new ArrayList<>();
        if (namespace == null) {
            packages.add(null);
        } else if (searchOrders.containsKey(namespace)) {
            packages.addAll(searchOrders.get(namespace));
        } else {
            if (rootProject != null) packages.add(rootProject);
            packages.add(namespace);
        }
        List<String> tried = new ArrayList<>();
        for (String pkg : packages) {
            for (String prefix : prefixes) {
                String candidate = prefix + "__" + name;
                MacroFunction found = pkg == null ? root.getGlobalMacro(candidate) : macro(pkg, candidate);
                if (found != null) return found;
                tried.add(pkg == null ? candidate : pkg + "." + candidate);
            }
        }
        throw new TemplateException("In dispatch: No macro named '" + name + "' found within namespace: '" + (namespace == null ? "" : namespace)
                + "'\n    Searched for: " + String.join(", ", tried));
    }
}
