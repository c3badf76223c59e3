// The anonymisation applied when prod is cloned into another environment: customers' e-mails, names, addresses and phones replaced, their passwords invalidated.
/**
 * What is replaced, per table and column. Column names:
 * - addresses share Oro's AbstractAddress columns (label, street, street2, city, postal_code, organization,
 *   region_text, name_prefix, first_name, middle_name, last_name, name_suffix, phone): oroinc/orocommerce 6.1.6,
 *   src/Oro/Bundle/OrderBundle/Migrations/Schema/OroOrderBundleInstaller.php (oro_order_address) and
 *   SaleBundle's installer (oro_quote_address); oro_customer_address and oro_customer_user_address are the
 *   customer portal's tables with the same columns;
 * - oro_customer_user (the storefront's users): email, username, the name parts, birthday, password and salt, as in
 *   the customer portal's CustomerBundle installer (oroinc/customer-portal; read from its pre-rename ancestor
 *   oro_account_user in oroinc/orocommerce, whose columns it kept);
 * - oro_order.customer_notes and po_number: free text a customer typed.
 * A table or column a given Oro version does not have is skipped (the DO block checks information_schema), so the
 * step never fails on a schema difference; the test runs it on a real PostgreSQL.
 */
export const ANONYMISED: readonly { table: string; column: string; value: string }[] = [
  { table: 'oro_customer_user', column: 'email', value: "'customer-' || id || '@example.invalid'" },
  { table: 'oro_customer_user', column: 'email_lowercase', value: "'customer-' || id || '@example.invalid'" },
  { table: 'oro_customer_user', column: 'username', value: "'customer-' || id || '@example.invalid'" },
  { table: 'oro_customer_user', column: 'first_name', value: "'Customer'" },
  { table: 'oro_customer_user', column: 'middle_name', value: 'NULL' },
  { table: 'oro_customer_user', column: 'last_name', value: "'No. ' || id" },
  { table: 'oro_customer_user', column: 'name_prefix', value: 'NULL' },
  { table: 'oro_customer_user', column: 'name_suffix', value: 'NULL' },
  { table: 'oro_customer_user', column: 'birthday', value: 'NULL' },
  // A production password hash must not log anyone in elsewhere: customers reset their password in the clone.
  { table: 'oro_customer_user', column: 'password', value: "'!anonymised'" },
  { table: 'oro_customer_user', column: 'salt', value: "''" },
  { table: 'oro_customer_user', column: 'confirmation_token', value: 'NULL' },
  ...['oro_customer_address', 'oro_customer_user_address', 'oro_order_address', 'oro_quote_address'].flatMap((table) => [
    { table, column: 'label', value: 'NULL' },
    { table, column: 'first_name', value: "'Customer'" },
    { table, column: 'middle_name', value: 'NULL' },
    { table, column: 'last_name', value: "'No. ' || id" },
    { table, column: 'name_prefix', value: 'NULL' },
    { table, column: 'name_suffix', value: 'NULL' },
    { table, column: 'organization', value: 'NULL' },
    { table, column: 'street', value: "id || ' Anonymised Street'" },
    { table, column: 'street2', value: 'NULL' },
    { table, column: 'city', value: "'Anytown'" },
    { table, column: 'postal_code', value: "'00000'" },
    { table, column: 'phone', value: 'NULL' },
  ]),
  { table: 'oro_order', column: 'customer_notes', value: 'NULL' },
  { table: 'oro_order', column: 'po_number', value: 'NULL' },
];

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** One DO block: every listed column that exists in the current schema is overwritten, table by table, in one statement each. */
export function anonymiseSql(): string {
  const tables = [...new Set(ANONYMISED.map((a) => a.table))];
  const lines = tables.map((table) => {
    const pairs = ANONYMISED.filter((a) => a.table === table).map((a) => `ARRAY[${literal(a.column)}, ${literal(a.value)}]`);
    return `  PERFORM pg_temp.anonymise(${literal(table)}, ARRAY[${pairs.join(', ')}]);`;
  });
  return [
    // pg_restore's script empties search_path; Oro's tables live in public.
    "SELECT pg_catalog.set_config('search_path', 'public', false);",
    'CREATE FUNCTION pg_temp.anonymise(tbl text, pairs text[]) RETURNS void LANGUAGE plpgsql AS $fn$',
    'DECLARE sets text[] := ARRAY[]::text[]; i int;',
    'BEGIN',
    '  FOR i IN 1 .. array_length(pairs, 1) LOOP',
    '    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = tbl AND column_name = pairs[i][1]) THEN',
    '      sets := sets || format(\'%I = %s\', pairs[i][1], pairs[i][2]);',
    '    END IF;',
    '  END LOOP;',
    "  IF array_length(sets, 1) > 0 THEN EXECUTE format('UPDATE %I SET %s', tbl, array_to_string(sets, ', ')); END IF;",
    'END $fn$;',
    'DO $do$ BEGIN',
    ...lines,
    'END $do$;',
  ].join('\n');
}
