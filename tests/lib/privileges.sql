-- What each griddesk role may do with every table, view, sequence and function
-- of the schema, one line per object: tests/cli/privileges.t compares it with
-- tests/privileges.tsv. Any login may ask: it reads only the catalogue.
WITH roles(r, n) AS (VALUES ('griddesk_viewer', 1), ('griddesk_operator', 2), ('griddesk_dept', 3), ('griddesk_admin', 4)),
objs AS (
    SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' ELSE 'table' END AS kind,
           c.relname::text AS name, c.oid, c.relkind, c.relacl AS acl, c.relowner AS owner
      FROM pg_class c
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 'function', p.oid::regprocedure::text, p.oid, 'f', p.proacl, p.proowner
      FROM pg_proc p
     WHERE p.pronamespace = 'public'::regnamespace
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
),
-- the privileges a role has on an object, as letters: r SELECT (c: some
-- columns only), a INSERT, w UPDATE, d DELETE, D TRUNCATE, x REFERENCES,
-- t TRIGGER, U USAGE, X EXECUTE; "-" none
cell AS (
    SELECT o.kind, o.name, ro.n,
           CASE o.relkind
             WHEN 'f' THEN CASE WHEN has_function_privilege(ro.r, o.oid, 'EXECUTE') THEN 'X' END
             WHEN 'S' THEN concat(CASE WHEN has_sequence_privilege(ro.r, o.oid, 'SELECT') THEN 'r' END,
                                  CASE WHEN has_sequence_privilege(ro.r, o.oid, 'UPDATE') THEN 'w' END,
                                  CASE WHEN has_sequence_privilege(ro.r, o.oid, 'USAGE') THEN 'U' END)
             ELSE concat(CASE WHEN has_table_privilege(ro.r, o.oid, 'SELECT') THEN 'r'
                              WHEN has_any_column_privilege(ro.r, o.oid, 'SELECT') THEN 'c' END,
                         CASE WHEN has_table_privilege(ro.r, o.oid, 'INSERT') THEN 'a' END,
                         CASE WHEN has_table_privilege(ro.r, o.oid, 'UPDATE') THEN 'w' END,
                         CASE WHEN has_table_privilege(ro.r, o.oid, 'DELETE') THEN 'd' END,
                         CASE WHEN has_table_privilege(ro.r, o.oid, 'TRUNCATE') THEN 'D' END,
                         CASE WHEN has_table_privilege(ro.r, o.oid, 'REFERENCES') THEN 'x' END,
                         CASE WHEN has_table_privilege(ro.r, o.oid, 'TRIGGER') THEN 't' END)
           END AS p
      FROM objs o CROSS JOIN roles ro
),
pub AS (
    SELECT o.kind, o.name,
           (SELECT string_agg(DISTINCT a.privilege_type, ',' ORDER BY a.privilege_type)
              FROM aclexplode(coalesce(o.acl, acldefault((CASE o.relkind WHEN 'f' THEN 'f' WHEN 'S' THEN 's' ELSE 'r' END)::"char", o.owner))) a
             WHERE a.grantee = 0) AS p
      FROM objs o
)
SELECT c.kind, c.name, coalesce(pub.p, '-'),
       string_agg(coalesce(nullif(c.p, ''), '-'), E'\t' ORDER BY c.n)
  FROM cell c JOIN pub USING (kind, name)
 GROUP BY c.kind, c.name, pub.p
 ORDER BY c.kind, c.name;
