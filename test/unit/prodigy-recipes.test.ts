import { describe, expect, it } from 'vitest';
import { AppError } from '../../electron/core/kernel/errors';
import { SUPPORTED_RECIPES, recipeArgs, recipeProblem, taskKind, type ProjectSpec } from '../../electron/core/sessions/recipes';

const SOURCE = '/data/prodigy/asg-1/source.jsonl';
const project = (fields: Partial<ProjectSpec> & { recipe: string }): ProjectSpec => ({ dataset: 'news', labels: ['PERSON', 'ORG'], ...fields });

function refusal(spec: ProjectSpec): AppError {
  try {
    recipeArgs(spec, SOURCE);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('no refusal');
}

describe('the Prodigy command line of each recipe, as Prodigy’s recipe docs give it', () => {
  it('textcat.manual: DATASET SOURCE --label, and --exclusive when the project asks for one choice', () => {
    expect(recipeArgs(project({ recipe: 'textcat.manual' }), SOURCE)).toEqual(['textcat.manual', 'news', SOURCE, '--label', 'PERSON,ORG']);
    expect(recipeArgs(project({ recipe: 'textcat.manual', exclusive: true }), SOURCE)).toEqual(['textcat.manual', 'news', SOURCE, '--label', 'PERSON,ORG', '--exclusive']);
    expect(taskKind(project({ recipe: 'textcat.manual' }))).toBe('any');
  });

  it('ner.manual and spans.manual: the spaCy model goes between the dataset and the source, blank:en unless the project names one', () => {
    for (const recipe of ['ner.manual', 'spans.manual']) {
      expect(recipeArgs(project({ recipe }), SOURCE)).toEqual([recipe, 'news', 'blank:en', SOURCE, '--label', 'PERSON,ORG']);
      expect(recipeArgs(project({ recipe, model: 'en_core_web_sm' }), SOURCE)).toEqual([recipe, 'news', 'en_core_web_sm', SOURCE, '--label', 'PERSON,ORG']);
      expect(taskKind(project({ recipe }))).toBe('text');
    }
    // A model name that would read as an option is not passed on.
    expect(refusal(project({ recipe: 'ner.manual', model: '--label=X' })).message).toContain('is not a model name Prodigy can load');
  });

  it('image.manual: the JSONL source needs --loader jsonl, or Prodigy looks for a folder of images', () => {
    expect(recipeArgs(project({ recipe: 'image.manual', labels: ['CAT'] }), SOURCE)).toEqual(['image.manual', 'news', SOURCE, '--loader', 'jsonl', '--label', 'CAT']);
    expect(taskKind(project({ recipe: 'image.manual' }))).toBe('image');
  });

  it('mark: the interface is --view-id (classification unless the project names one); labels only when there are some', () => {
    expect(recipeArgs(project({ recipe: 'mark', view_id: 'html', labels: [] }), SOURCE)).toEqual(['mark', 'news', SOURCE, '--view-id', 'html']);
    expect(recipeArgs(project({ recipe: 'mark', labels: ['RELEVANT'] }), SOURCE)).toEqual(['mark', 'news', SOURCE, '--view-id', 'classification', '--label', 'RELEVANT']);
    expect(refusal(project({ recipe: 'mark', view_id: 'html --label X' })).message).toContain('is not one of Prodigy’s view ids');
  });

  it('refuses a recipe it cannot run, naming it and the ones it can', () => {
    const error = refusal(project({ recipe: 'ner.teach' }));
    expect(error.code).toBe('RECIPE_UNSUPPORTED');
    expect(error.message).toBe(
      'This assignment uses Prodigy’s “ner.teach” recipe, which Annotator Companion cannot run. It runs textcat.manual, ner.manual, spans.manual, image.manual, mark. Ask the assignment’s manager for one of those.',
    );
    expect(recipeProblem(project({ recipe: 'review' }))).toContain('Review assignments are worked on in Reviews.');
    expect(recipeProblem(project({ recipe: 'toString' }))).toContain('“toString” recipe');
    expect(recipeProblem(project({ recipe: 'ner.manual' }))).toBeNull();
    expect(SUPPORTED_RECIPES).toEqual(['textcat.manual', 'ner.manual', 'spans.manual', 'image.manual', 'mark']);
  });

  it('refuses what Prodigy could not be given: no labels where the recipe needs them, a comma in a label, a dataset name that is not a file name', () => {
    expect(refusal(project({ recipe: 'ner.manual', labels: [] })).message).toContain('without any labels, and that recipe needs them');
    expect(refusal(project({ recipe: 'textcat.manual', labels: ['a,b'] })).message).toContain('contains a comma');
    expect(refusal(project({ recipe: 'textcat.manual', dataset: '../elsewhere' })).message).toContain('is not one the app can use');
    expect(refusal(project({ recipe: 'textcat.manual', dataset: '-F' })).code).toBe('RECIPE_UNSUPPORTED');
  });
});
