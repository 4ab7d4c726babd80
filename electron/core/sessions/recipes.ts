import { AppError } from '../kernel/errors';

/**
 * The one place that turns an assignment's `project` into Prodigy's command
 * line, recipe by recipe, as Prodigy's recipe docs give their arguments
 * (CONTRACTS §C; sandbox/prodigy/README.md cites each):
 *
 *   textcat.manual DATASET SOURCE --label A,B [--exclusive]
 *   ner.manual     DATASET SPACY_MODEL SOURCE --label A,B
 *   spans.manual   DATASET SPACY_MODEL SOURCE --label A,B
 *   image.manual   DATASET SOURCE --loader jsonl --label A,B
 *   mark           DATASET SOURCE --view-id ID [--label A,B]
 *
 * The source is always the JSONL file the app builds from the synced files.
 */

/** The project of an assignment as File 360 sends it (CONTRACTS §A.5), the fields read here. */
export interface ProjectSpec {
  recipe: string;
  dataset: string;
  labels?: readonly string[];
  view_id?: string;
  /** The spaCy pipeline ner.manual and spans.manual tokenize with; `blank:en` when the project names none. */
  model?: string;
  /** textcat.manual: one choice per item rather than several. */
  exclusive?: boolean;
}

/** What kind of task each recipe can show, so the source builder leaves out files it cannot. */
export type TaskKind = 'text' | 'image' | 'any';

interface RecipeRule {
  tasks: TaskKind;
  /** Arguments after the recipe name, given the dataset and the source file. */
  args(project: ProjectSpec, source: string): string[];
}

export const DEFAULT_MODEL = 'blank:en';
/** mark's interface when the project names none: a yes/no question about each item. */
const DEFAULT_MARK_VIEW = 'classification';

/** Prodigy writes `db-out DATASET OUT_DIR` to `OUT_DIR/DATASET.jsonl`: the name becomes a file name, so only plain ones. */
const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;
/** A spaCy pipeline: `blank:xx`, a package name or a path. Never an option (`-…`), never a line break. */
const MODEL_NAME = /^[^\s-][^\s]{0,499}$/;
const VIEW_ID = /^[a-z][a-z0-9_]{0,49}$/;

function labelArgs(project: ProjectSpec, required: boolean): string[] {
  const labels = (project.labels ?? []).map((label) => label.trim()).filter(Boolean);
  if (labels.some((label) => label.includes(','))) {
    throw new AppError('RECIPE_UNSUPPORTED', `A label of this assignment contains a comma (“${labels.find((label) => label.includes(','))}”), which Prodigy’s --label cannot carry. Ask the assignment’s manager to rename it.`);
  }
  if (required && labels.length === 0) {
    throw new AppError('RECIPE_UNSUPPORTED', `This assignment uses Prodigy’s “${project.recipe}” recipe without any labels, and that recipe needs them. Ask the assignment’s manager to add its labels in File 360.`);
  }
  return labels.length > 0 ? ['--label', labels.join(',')] : [];
}

function model(project: ProjectSpec): string {
  const name = project.model?.trim() || DEFAULT_MODEL;
  if (!MODEL_NAME.test(name)) throw new AppError('RECIPE_UNSUPPORTED', `The spaCy model this assignment names (“${name}”) is not a model name Prodigy can load.`);
  return name;
}

const RULES: Record<string, RecipeRule> = {
  'textcat.manual': {
    tasks: 'any',
    args: (project, source) => [project.dataset, source, ...labelArgs(project, true), ...(project.exclusive ? ['--exclusive'] : [])],
  },
  'ner.manual': { tasks: 'text', args: (project, source) => [project.dataset, model(project), source, ...labelArgs(project, true)] },
  'spans.manual': { tasks: 'text', args: (project, source) => [project.dataset, model(project), source, ...labelArgs(project, true)] },
  // Without --loader jsonl, image.manual reads SOURCE as a folder of images.
  'image.manual': { tasks: 'image', args: (project, source) => [project.dataset, source, '--loader', 'jsonl', ...labelArgs(project, true)] },
  mark: {
    tasks: 'any',
    args: (project, source) => {
      const view = project.view_id?.trim() || DEFAULT_MARK_VIEW;
      if (!VIEW_ID.test(view)) throw new AppError('RECIPE_UNSUPPORTED', `The interface this assignment names (“${view}”) is not one of Prodigy’s view ids.`);
      return [project.dataset, source, '--view-id', view, ...labelArgs(project, false)];
    },
  },
};

export const SUPPORTED_RECIPES = Object.keys(RULES);

function rule(project: ProjectSpec): RecipeRule {
  const found = Object.hasOwn(RULES, project.recipe) ? RULES[project.recipe] : undefined;
  if (!found) {
    const where = project.recipe === 'review' ? ' Review assignments are worked on in Reviews.' : ' Ask the assignment’s manager for one of those.';
    throw new AppError('RECIPE_UNSUPPORTED', `This assignment uses Prodigy’s “${project.recipe}” recipe, which Annotator Companion cannot run. It runs ${SUPPORTED_RECIPES.join(', ')}.${where}`);
  }
  return found;
}

/** Why this project cannot be started, in words; null when it can. */
export function recipeProblem(project: ProjectSpec): string | null {
  try {
    recipeArgs(project, 'source.jsonl');
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}

/** What the recipe's source may hold. Throws, naming the recipe, when the app cannot run it. */
export function taskKind(project: ProjectSpec): TaskKind {
  return rule(project).tasks;
}

/** The recipe and its arguments, to follow the Prodigy command from Settings. */
export function recipeArgs(project: ProjectSpec, source: string): string[] {
  const found = rule(project);
  if (!DATASET_NAME.test(project.dataset)) {
    throw new AppError('RECIPE_UNSUPPORTED', `The Prodigy dataset name of this assignment (“${project.dataset}”) is not one the app can use: letters, digits, dots, dashes and underscores only.`);
  }
  return [project.recipe, ...found.args(project, source)];
}
