{{ introspect_utils.union_relations([ref('short_names'), ref('long_names')]) }}
