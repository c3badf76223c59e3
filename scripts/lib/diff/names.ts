// An environment's own name inside rendered text, so the same change in two environments compares equal.
/** A name as a word (`orocommerce-shop-1-web` holds `shop-1`; `shop-10` does not). */
export function nameWord(env: string): RegExp {
  return new RegExp(`(?<![a-z0-9])${env.replace(/[-.]/g, '\\$&')}(?![a-z0-9])`, 'g');
}

/** `rendered/shop-001/web/x.yaml` → `rendered/<env>/web/x.yaml`; `+  namespace: orocommerce-shop-001` → `…orocommerce-<env>`. */
export function withoutName(text: string, env: string): string {
  return text.replace(nameWord(env), '<env>');
}

