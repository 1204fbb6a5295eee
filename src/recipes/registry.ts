/**
 * The residual recipes by name; adding one is a file and a line here.
 */
import { InputError } from '../errors.js';
import { fixupRecipe } from './fixup.js';
import { nfResnetRecipe } from './nfResnet.js';
import type { ResidualRecipe } from './recipe.js';
import { reZeroRecipe, skipInitRecipe } from './skipInit.js';
import { unscaledRecipe } from './unscaled.js';

export const residualRecipes: readonly ResidualRecipe[] = [unscaledRecipe, fixupRecipe, skipInitRecipe, reZeroRecipe, nfResnetRecipe];

/** The recipe of `name`, or an InputError naming the field and the recipes there are. */
export function findRecipe(name: string, field = 'recipe'): ResidualRecipe {
  const recipe = residualRecipes.find((r) => r.name === name);
  if (!recipe) throw new InputError(field, name, `one of ${residualRecipes.map((r) => r.name).join(', ')}`);
  return recipe;
}
