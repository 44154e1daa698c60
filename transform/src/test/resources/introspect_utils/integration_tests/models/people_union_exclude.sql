{{ introspect_utils.union_relations([ref('data_people_a'), ref('data_people_b')], exclude=['age'], source_column_name='origin', where='id <> 2') }}
