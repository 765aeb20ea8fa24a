/* The "sql" input kind: a script for sqlite3 that creates two tables,
 * fills them in many small transactions (so journal and sync settings
 * matter), builds an index and runs the queries, updates and deletes of
 * an ordinary application. It uses only standard SQL that SQLite reads.
 * SPDX-License-Identifier: MIT */
#include "gen-int.h"
#include "util/banned.h"

/* Rows per transaction: small enough that commits (and their syncs) are a
 * real part of the work. */
#define BATCH 200

static void customers(size_t n, struct l4p_rng *rng, struct l4px_sb *out)
{
  char name[24], city[24];
  l4px_sb_puts(out, "BEGIN;\n");
  for (size_t k = 1; k <= n; k++) {
    l4p__gen_word(rng, name, sizeof name);
    l4p__gen_word(rng, city, sizeof city);
    city[1 + k % 3] = '\0'; /* few, often repeated cities */
    l4px_sb_printf(out,
                   "INSERT INTO customer VALUES(%zu, '%s', '%s', "
                   "%u);\n",
                   k, name, city, (unsigned)(20000 + l4p_rng_below(rng, 3000)));
  }
  l4px_sb_puts(out, "COMMIT;\n");
}

static void orders(size_t n, size_t n_customers, struct l4p_rng *rng,
                   struct l4px_sb *out)
{
  static const char *const status[] = {"new", "paid", "packed", "sent"};
  char note[24];
  for (size_t k = 1; k <= n && !out->oom; k++) {
    if (k % BATCH == 1)
      l4px_sb_puts(out, "BEGIN;\n");
    l4p__gen_word(rng, note, sizeof note);
    l4px_sb_printf(out,
                   "INSERT INTO orders VALUES(%zu, %zu, %u.%02u, '%s', "
                   "'%s %s');\n",
                   k, 1 + (size_t)l4p_rng_below(rng, n_customers),
                   (unsigned)l4p_rng_below(rng, 1000),
                   (unsigned)l4p_rng_below(rng, 100),
                   status[l4p_rng_below(rng, 4)], note, note);
    if (k % BATCH == 0 || k == n)
      l4px_sb_puts(out, "COMMIT;\n");
  }
}

/* See gen-int.h. */
void l4p__gen_sql(const struct l4p_gen_opts *opts, struct l4p_rng *rng,
                  struct l4px_sb *out)
{
  size_t n = opts->size, n_customers = n / 10 + 1;
  l4px_sb_puts(out,
               "CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT "
               "NULL, city TEXT, joined INTEGER);\n"
               "CREATE TABLE orders(id INTEGER PRIMARY KEY, customer INTEGER "
               "REFERENCES customer(id), amount REAL, status TEXT, note "
               "TEXT);\n");
  customers(n_customers, rng, out);
  orders(n, n_customers, rng, out);
  l4px_sb_puts(out,
               "CREATE INDEX orders_customer ON orders(customer);\n"
               "SELECT c.city, count(*), round(sum(o.amount), 2) FROM orders "
               "o JOIN customer c ON c.id = o.customer GROUP BY c.city ORDER "
               "BY 3 DESC LIMIT 5;\n"
               "UPDATE orders SET status = 'sent' WHERE amount > 500;\n"
               "DELETE FROM orders WHERE id % 17 = 0;\n"
               "SELECT count(*) FROM orders WHERE note LIKE '%ka%';\n"
               "SELECT customer, max(amount) FROM orders GROUP BY customer "
               "HAVING count(*) > 3 ORDER BY 2 DESC LIMIT 5;\n"
               "SELECT count(*), round(avg(amount), 2) FROM orders o WHERE "
               "EXISTS (SELECT 1 FROM customer c WHERE c.id = o.customer "
               "AND c.joined > 21000);\n");
}
