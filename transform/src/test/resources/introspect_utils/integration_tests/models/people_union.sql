{{ introspect_utils.union_relations(relations=[ref('data_people_a'), ref('data_people_b'), ref('data_people_c')]) }}
